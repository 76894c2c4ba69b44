pub mod bootstrap;
pub mod demo;
pub mod reset;
pub mod sign_in;
