// Workspace file for the live-ZFS editor test (test/zfs/editor.spec.mjs). In the VM it lives on a
// dataset with recordsize=1M: a 128 KiB copy is fine for the default recordsize (the setting), so
// the ZDIO010 warning below appears only if the editor uses the dataset's real recordsize.
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#define CHUNK (128 * 1024)

int copy_chunk(int in, int out)
{
    loff_t off_in = 0, off_out = 0;
    return copy_file_range(in, &off_in, out, &off_out, CHUNK, 0) == CHUNK ? 0 : -1;
}
