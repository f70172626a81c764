//! The sex recorded in a national identification number.

use std::fmt;

/// The sex a national number encodes (NIR first digit, NISS sequence parity). It is what the
/// register recorded when the number was issued, used for payroll declarations only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Sex::Male => "male",
            Sex::Female => "female",
        })
    }
}
