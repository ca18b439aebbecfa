// Pattern: a crate whose flags, sizes and aligned buffer type live in their own modules, used by the segment module through `use crate::…` (modelled on the rio crate's #[repr(align(4096))] buffer and OpenOptionsExt::custom_flags use, split over a crate's modules).
// zdio-category: cross-file
mod buf;
mod consts;
mod segment;

pub use segment::Segment;
