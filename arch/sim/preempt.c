/*
 * arch/sim/preempt.c - the preemption points of user code on sim.  User
 * programs are compiled with -fsanitize-coverage=trace-pc, so the compiler
 * calls __sanitizer_cov_trace_pc() at every branch edge; here it becomes
 * sim_preempt_point() (machine.c), which charges the edge to the virtual
 * clock and takes the timer interrupt when it is due.  A file of its own
 * so that builds with another coverage runtime (the libFuzzer harnesses,
 * which have no user code) leave it out.
 */
#include "sim.h"

void __sanitizer_cov_trace_pc(void);

void __sanitizer_cov_trace_pc(void)
{
    sim_preempt_point();
}
