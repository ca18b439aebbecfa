// Pattern: a const table of (name, offset, length) cases walked by a test loop that reads each through an O_DIRECT File into an aligned buffer (modelled on LTP's tcases[] tables, written as a Rust const slice).
// zdio-category: table
use std::fs::OpenOptions;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

#[repr(C, align(4096))]
struct Buf([u8; 64 * 1024]);

const CASES: &[(&str, u64, usize)] = &[
    ("one page", 0, 4096),
    ("short length", 0, 1000), // zdio-expect: ZDIO002
    ("sector offset", 512, 4096), // zdio-expect: ZDIO003
    ("whole buffer", 65536, 65536),
];

#[test]
fn direct_reads() {
    let file = OpenOptions::new().read(true).custom_flags(libc::O_DIRECT).open("/var/tmp/dio-table").unwrap(); // zdio-expect-site: o_direct_open
    let mut buf = Box::new(Buf([0; 64 * 1024]));
    for &(name, off, len) in CASES {
        match file.read_at(&mut buf.0[..len], off) { // zdio-expect-site: o_direct_io
            Ok(n) => println!("{name}: {n} bytes"),
            Err(e) => println!("{name}: {e}"),
        }
    }
}
