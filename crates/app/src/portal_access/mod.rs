//! Portal access: how a person comes to see a child's case in the portal, and the
//! one check every portal page about a child goes through.
//!
//! - [`invitations`]: the SEND team invites a family contact, checks them and
//!   sends the link; the person accepts or declines; the team confirms.
//! - [`links`]: the links themselves: `authorise_portal`, the SEND Dashboard, the
//!   Portal access page (revoke, grant again) and the plain-English stage guide.
//! - [`requests`]: professionals' requests to see a child they work with, matched
//!   or declined by the SEND team.

pub mod invitations;
pub mod links;
pub mod requests;
