//! Quotes (order forms): drafted by a member, approved by an advisor, sent to the client as a
//! link, accepted or refused through it; an accepted quote becomes an order.
