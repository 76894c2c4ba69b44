pub mod bootstrap;
pub mod sign_in;
