// The text every Python site spells, in one place: the extractor's prefilter, and the import provider's
// test of whether a module can hold a site. It lives apart from python.ts because the provider is
// imported by the extractor (a module of its own breaks the cycle).

/**
 * A Python file that matches none of this cannot contain a site (copy_file_range, clone ioctls, O_DIRECT).
 * `0x94` is the clone ioctls' type: a module that computes the request numbers with its own `_IOW()`
 * (python-btrfs's BTRFS_IOCTL_MAGIC) spells no other part of them.
 */
export const PYTHON_SITE_TEXT = /copy_file_range|FICLONE|O_DIRECT|0[xX]4004_?9409|0[xX]4020_?940[dD]|1074041865|1075876877|0[xX]94\b/;

/** The clone ioctls' type number, as a module spells it before computing the request numbers from it. */
export const IOCTL_CLONE_TYPE_TEXT = /0[xX]94\b/;
