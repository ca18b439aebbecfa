// std only (no crates): OpenOptionsExt::custom_flags with Linux's O_DIRECT on x86_64, FileExt::write_at.
// Built with rustc -g -C opt-level=0.
use std::fs::OpenOptions;
use std::os::unix::fs::{FileExt, OpenOptionsExt};

const O_DIRECT: i32 = 0o40000;

#[repr(C, align(4096))]
struct Page([u8; 8192]);

fn store(file: &std::fs::File, data: &[u8], at: u64) -> std::io::Result<usize> {
    file.write_at(data, at) // expect: ZDIO002
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "write at.dat".to_string());
    let file = OpenOptions::new().create(true).write(true).truncate(true).custom_flags(O_DIRECT).open(&path).expect("open");
    let page = Box::new(Page([7u8; 8192]));
    if let Err(e) = store(&file, &page.0[..4096], 0) { eprintln!("aligned: {e}"); }
    if let Err(e) = store(&file, &page.0[..1000], 4096) { eprintln!("1000 bytes: {e}"); }
}
