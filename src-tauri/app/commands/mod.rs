pub mod bootstrap;
pub mod demo;
pub mod sign_in;
