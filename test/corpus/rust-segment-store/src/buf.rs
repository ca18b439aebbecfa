// Pattern: a page-aligned buffer type defined once in its own module (modelled on the rio crate's #[repr(align(4096))] Aligned struct).
// zdio-category: cross-file
use crate::consts::PAGE;

#[repr(C, align(4096))]
pub struct AlignedPage(pub [u8; PAGE]);

impl AlignedPage {
    pub fn zeroed() -> Box<Self> {
        Box::new(AlignedPage([0; PAGE]))
    }
}
