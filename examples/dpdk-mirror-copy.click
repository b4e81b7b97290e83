// Zero copy or not (the paper's Fig. 9): COPY true copies every received
// frame into an engine buffer and frees its mbuf at once; ToDPDKDevice then
// copies it back into a fresh mbuf (its "copies" counter says how many).
//   pktlab run examples/dpdk-mirror-copy.click COPY=false --duration 3
//   pktlab run examples/dpdk-mirror-copy.click COPY=true --duration 3
define($COPY true, $PORT net_null0);

in :: FromDPDKDevice($PORT, COPY $COPY)
  -> EtherMirror
  -> c :: Counter
  -> out :: ToDPDKDevice($PORT);
