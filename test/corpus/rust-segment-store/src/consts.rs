// Pattern: the crate's open flags and on-disk sizes as public constants in a module (modelled on the constant modules of Rust storage crates, here with libc::O_DIRECT as rio's examples pass it).
// zdio-category: cross-file
pub const OPEN_FLAGS: i32 = libc::O_DIRECT | libc::O_CLOEXEC;
pub const SEGMENT_HEADER: usize = 512;
pub const SEGMENT_SIZE: u64 = 8 * 1024 * 1024;
pub const PAGE: usize = 4096;
