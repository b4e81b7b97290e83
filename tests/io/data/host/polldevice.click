// Click's kernel receiver, run as FromDevice.
PollDevice(lo, 16, PROMISC false, TIMESTAMP true, QUIET true, ALLOW_NONEXISTENT false)
  -> c :: Counter -> Discard;
PollDevice(nosuchdev9, ALLOW_NONEXISTENT true) -> Discard;
