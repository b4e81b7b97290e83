// Packets only tcpdump -i sniff0 sees.
InfiniteSource(LENGTH 60, LIMIT 10, STOP true) -> ToHostSniffers(sniff0);
RatedSource(LENGTH 40, RATE 10, LIMIT 5) -> MarkIPHeader -> ToHostSniffers(TYPE IP);
