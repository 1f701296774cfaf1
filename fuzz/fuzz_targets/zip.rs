#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cib_fuzz_props::zip(data));
