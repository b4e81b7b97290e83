"""Click's own commands, answered by pktlab: the drop-ins for Click users.

    driver.py    `pktlab click`: Click's userlevel driver (options, handlers,
                 exit status, errors in Click's words)
    flatten.py   `pktlab flatten`: click-flatten's options
    provides.py  `pktlab provides`: `click-buildtool provides`
    shims.py     `pktlab shims DIR`: `click`, `click-flatten`, `click-buildtool`
                 scripts to put first on PATH
    options.py   Click's command-line conventions (CLP: bundled short options,
                 abbreviated long ones)
    handlers.py  `-h ELEMENT.HANDLER` and `-x` as Click prints and reads them
    messages.py  pktlab's diagnostics in Click's words and form

Part of the cli layer: may import every layer below.
"""
