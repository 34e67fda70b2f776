//! Writes a synthetic Jekyll site (the bench's, from `src/synth.rs`) for
//! profiling by hand: `cargo run --release --example synth -- DIR POSTS [SEED]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: synth DIR POSTS [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    if let Err(e) = jekyll_migrate::synth::generate(std::path::Path::new(dir), n, seed) {
        eprintln!("synth: {}: {e}", dir);
        std::process::exit(1);
    }
}
