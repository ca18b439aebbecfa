// What Rust text must hold for a site to come from it: the extractor's prefilter, and the test the
// crate's module provider applies to the modules a file names. Kept apart from both so that the
// provider can use it without importing the extractor (which imports the provider).
export const RUST_SITE_TEXT = /copy_file_range|COPY_FILE_RANGE|[Ff][Ii][Cc][Ll][Oo][Nn][Ee]|O_DIRECT|DIRECT\b|custom_flags|0[xX]4004_?9409|0[xX]4020_?940[dD]|1074041865|1075876877|0x94\b|reflink/;
