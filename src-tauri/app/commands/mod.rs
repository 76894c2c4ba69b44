pub mod account;
pub mod bootstrap;
pub mod demo;
pub mod register;
pub mod reset;
pub mod sign_in;
