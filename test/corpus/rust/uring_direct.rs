// Pattern: io_uring reads and writes with the io-uring crate's opcode builders on a file opened with O_DIRECT, one into a Vec and one from an aligned block at a builder-chained offset (modelled on the io-uring crate's README/examples/readme.rs and tokio-uring's Read/Write ops).
// zdio-category: async-io
use io_uring::{opcode, types, IoUring};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::{fs, io};

const BLOCK: usize = 64 * 1024;

#[repr(align(4096))]
struct Block([u8; BLOCK]);

fn main() -> io::Result<()> {
    let mut ring = IoUring::new(4)?;
    let path = std::env::args().nth(1).expect("usage: uring_direct FILE");
    let file = fs::OpenOptions::new().read(true).write(true).custom_flags(libc::O_DIRECT).open(&path)?; // zdio-expect-site: o_direct_open
    let fd = types::Fd(file.as_raw_fd());

    let mut magic = vec![0; 1024];
    let probe = opcode::Read::new(fd, magic.as_mut_ptr(), magic.len() as _).build().user_data(1); // zdio-expect-site: o_direct_io, zdio-expect: ZDIO001, ZDIO002
    submit_one(&mut ring, &probe)?;

    let block = Box::new(Block([0xab; BLOCK]));
    let store = opcode::Write::new(fd, block.0.as_ptr(), BLOCK as u32) // zdio-expect-site: o_direct_io, zdio-expect-none: ZDIO001
        .offset(512) // zdio-expect: ZDIO003
        .build()
        .user_data(2);
    submit_one(&mut ring, &store)
}

/// Pushes one entry, waits for it and turns a negative result into an error.
fn submit_one(ring: &mut IoUring, entry: &io_uring::squeue::Entry) -> io::Result<()> {
    // SAFETY: the buffers named by the entry outlive the wait below.
    unsafe { ring.submission().push(entry) }.map_err(|_| io::Error::new(io::ErrorKind::Other, "ring full"))?;
    ring.submit_and_wait(1)?;
    match ring.completion().next() {
        Some(cqe) if cqe.result() < 0 => Err(io::Error::from_raw_os_error(-cqe.result())),
        Some(_) => Ok(()),
        None => Err(io::Error::new(io::ErrorKind::Other, "no completion")),
    }
}
