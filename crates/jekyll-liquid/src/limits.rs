//! Resource limits: what stops a hostile template before it exhausts the machine.

/// Block nesting Liquid accepts (`Liquid::Block::MAX_DEPTH`); also bounds the
/// recursion of our parsers, renderers and value printers.
pub const MAX_DEPTH: usize = 100;

/// Most integers a range is expanded into when turned into an array.
pub const MAX_RANGE_ITEMS: usize = 1_000_000;

/// Nodes one traversal of a value (printing, comparing, flattening) visits
/// at most: shared items can make a small value unfold without end.
pub const MAX_VISITS: usize = 4_000_000;

/// Bytes one value is printed into at most.
pub const MAX_VALUE_BYTES: usize = 256 << 20;

/// Bounds on one render. Hitting one stops the render with an error.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Loop iterations (`for`, `tablerow`) over the whole render.
    pub max_iterations: u64,
    /// Bytes of output (including captures) over the whole render.
    pub max_output: usize,
    /// Work over the whole render, in units of one value copied or eight
    /// bytes written by a filter or an output: bounds loops whose every
    /// step copies a growing array or string (`push` in a loop).
    pub max_work: u64,
    /// Nesting of blocks in one template; blocks and host-rendered
    /// templates (includes) together may nest twice as deep.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_iterations: 20_000_000,
            max_output: 256 << 20,
            max_work: 200_000_000,
            max_depth: MAX_DEPTH,
        }
    }
}
