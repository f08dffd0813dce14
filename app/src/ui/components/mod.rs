pub mod form;
pub mod header;
pub mod referral;
pub mod status;
