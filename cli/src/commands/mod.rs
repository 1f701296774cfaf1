//! The subcommands that use the core from the command line.

pub mod build;
pub mod customize;
pub mod export;
pub mod inspect;
pub mod keygen;
pub mod link;
pub mod pack;
pub mod relayout;
pub mod serve;
pub mod verify;
pub mod vesselinfo;
