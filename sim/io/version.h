/* version.h: SIM_GIT_HASH, the source revision written into every output file
 * and printed by `sim --version`.
 *
 * The Makefile generates $(BUILD)/gen/sim_git.h with scripts/version.sh at
 * every make run: the short commit hash, with "-dirty-" and a hash of the changes
 * when tracked files have uncommitted changes, or "unknown" outside a git work tree (a tarball). The
 * script rewrites the file only when that text changes, so after a commit only
 * the files that include this header recompile. A build without the generated
 * header (e.g. the fuzz targets) says "unknown". */
#ifndef SIM_VERSION_H
#define SIM_VERSION_H

#if defined(__has_include)
#if __has_include("sim_git.h")
#include "sim_git.h"
#endif
#endif

#ifndef SIM_GIT_HASH
#define SIM_GIT_HASH "unknown"
#endif

#endif
