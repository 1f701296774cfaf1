//! Replays every saved fuzz input (fuzz/corpus/TARGET/ and fuzz/regressions/TARGET/) through
//! its target's properties, on stable Rust, as part of the test command.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

#[test]
fn every_saved_input_keeps_its_properties() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut replayed = 0;
    let mut failed = Vec::new();
    for (target, property) in cib_fuzz_props::TARGETS {
        let mut inputs = 0;
        for folder in ["corpus", "regressions"] {
            let Ok(dir) = std::fs::read_dir(fuzz.join(folder).join(target)) else {
                continue;
            };
            for file in dir {
                let path = file.expect("a readable folder").path();
                let data = std::fs::read(&path).expect("a readable input");
                if catch_unwind(AssertUnwindSafe(|| property(&data))).is_err() {
                    failed.push(path.display().to_string());
                }
                inputs += 1;
            }
        }
        assert!(inputs > 0, "no saved input for {target}");
        replayed += inputs;
    }
    assert!(failed.is_empty(), "properties fail on: {failed:#?}");
    println!("{replayed} saved inputs replayed");
}
