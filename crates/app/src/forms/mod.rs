//! Forms (FRM-1 to FRM-4): the council builds forms and publishes them as
//! numbered versions (`builder`), gives them to a child's portal users, as
//! actions with a due date or not (`assign`), people fill them in with save and
//! return and submit them (`filling`), and the SEND team reads what arrives
//! (`submissions`). The built-in forms are installed and published on start
//! (`builtins`).

pub mod assign;
pub mod builder;
pub mod builtins;
pub mod filling;
pub mod submissions;
