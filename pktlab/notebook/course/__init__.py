"""The classroom course of notebooks/course/: its autograder and its authoring tools.

    grading.py    Result (correct / wrong / not answered yet, and why) and the
                  per-session score; every check returns one, never raises
    lab.py        what the exercises run: a configuration run to its end in
                  memory, a short measurement
    basics.py     session 1 checks (elements, ports, connections, compounds, handlers)
    batching.py   session 2 checks (compute and I/O batching, BURST)
    zerocopy.py   session 3 checks (I/O and zero copy)
    models.py     session 4 checks (push and pull, queues, schedulers, shapers)
    multicore.py  session 5 checks (threads, Pipeliner, live change)
    authoring.py  the student version from the teacher's (solutions stripped), the
                  check that the two agree, and reset (`pktlab course`)

A notebook imports its session's checks: `from pktlab.notebook.course import
basics as check`, then `check.exercise_1_2(answer)`. The checks compute the
expected answer from the engine where they can (they run the configuration
a student wrote, or the one the question is about), so a check says what is
wrong and why, not only that it is. May import every layer below the
notebook layer: telemetry, traffic, engine, lang, graph.
"""
