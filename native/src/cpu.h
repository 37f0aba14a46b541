/* Run-time choice of the kernel table by CPU features: avx512, else avx2 (with FMA), else generic. */
#ifndef NGNN_CPU_H
#define NGNN_CPU_H

#include "kernels.h"

/** The ISA names, best first, NULL-terminated; "generic16" (portable code at 16 lanes) is for tests. */
extern const char *const NGNN_ISAS[];
/** The best table this CPU runs, or the one named `want` (NULL when the CPU cannot run it). */
const ngnn_table *ngnn_select(const char *want);
/** Whether the table `name` is built in and this CPU runs it. */
int ngnn_isa_supported(const char *name);

#endif
