//! Members, their user accounts and the share register.

use ensemble_domain::people::{Member, NationalId, Role, ShareSubscription, User};
use ensemble_domain::{
    Country, EntityId, Invalid, Lang, MemberId, Money, ShareSubscriptionId, Status, UserId,
    parse_field,
};
use serde::{Deserialize, Serialize};

use crate::access::{member_access, require_role, require_staff};
use crate::auth::new_token;
use crate::idempotency::{remember, replay};
use crate::inputs::{NewMember, NewShares, NewUser, text};
use crate::{Actor, App, AppResult, Idempotency};

/// A new member and the credentials of their account, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Admission {
    pub member: Member,
    pub user: User,
    /// The API token of the account: shown once, stored only as a hash.
    pub token: String,
    pub shares: Option<ShareSubscription>,
    /// The link that lets the member set a password and use the pages: shown once.
    pub invitation: crate::accounts::Invitation,
}

/// A new staff account and its token, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewAccount {
    pub user: User,
    pub token: String,
}

/// One member in the share register: what they subscribed, and their single vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RegisterLine {
    pub member_id: MemberId,
    pub name: String,
    pub count: u32,
    pub amount: Money,
    /// One member, one vote, whatever the number of shares.
    pub votes: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ShareRegister {
    pub entity_id: EntityId,
    pub lines: Vec<RegisterLine>,
    pub subscriptions: Vec<ShareSubscription>,
    pub total_amount: Money,
    pub total_votes: u32,
}

impl App {
    /// Admits a member (staff): the member record, a member account with its token and,
    /// optionally, the first share subscription, in one transaction.
    pub async fn admit_member(
        &self,
        actor: &Actor,
        input: &NewMember,
        idem: Option<&Idempotency>,
    ) -> AppResult<Admission> {
        require_staff(actor)?;
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "admit_member", idem).await? {
            return Ok(previous);
        }
        let entity = tx.entity(input.entity_id).await?;
        let today = self.clock.today();
        let member = Member {
            id: MemberId::from_uuid(self.id()),
            entity_id: entity.id,
            first_name: text("first_name", &input.first_name, 100)?,
            last_name: text("last_name", &input.last_name, 100)?,
            email: parse_field("email", &input.email)?,
            iban: parse_field("iban", &input.iban)?,
            national_id: NationalId::parse(entity.country, &input.national_id)?,
            address: input.address.parse("address")?,
            lang: input.lang.unwrap_or(match entity.country {
                Country::Fr => Lang::Fr,
                Country::Be => Lang::Fr,
            }),
            status: input.status.unwrap_or(match entity.country {
                Country::Fr => Status::NonCadre,
                Country::Be => Status::Artist,
            }),
            joined_on: input.joined_on.unwrap_or(today),
        };
        member.check(entity.country)?;
        let at = self.clock.micros();
        tx.insert_member(&member, at).await?;
        let (token, hash) = new_token()?;
        let user = User {
            id: UserId::from_uuid(self.id()),
            email: member.email.clone(),
            role: Role::Member,
            member_id: Some(member.id),
            lang: member.lang,
        };
        tx.insert_user(&user, Some(&hash), at).await?;
        let invitation = self
            .write_invitation(&mut *tx, &user, Some(entity.id), Some(actor.user))
            .await?;
        let shares = match input.shares {
            None | Some(0) => None,
            Some(count) => {
                let s = ShareSubscription {
                    id: ShareSubscriptionId::from_uuid(self.id()),
                    entity_id: entity.id,
                    member_id: member.id,
                    count,
                    amount: entity.shares.amount(count),
                    subscribed_on: member.joined_on,
                };
                tx.insert_share_subscription(&s, at).await?;
                crate::ledger::post_shares(&mut *tx, &entity, &member, &s, at).await?;
                Some(s)
            }
        };
        let admission = Admission {
            member,
            user,
            token,
            shares,
            invitation,
        };
        remember(&mut *tx, actor, "admit_member", idem, &admission, at).await?;
        tx.commit().await?;
        Ok(admission)
    }

    /// Creates a staff account (administrators).
    pub async fn create_user(
        &self,
        actor: &Actor,
        input: &NewUser,
        idem: Option<&Idempotency>,
    ) -> AppResult<NewAccount> {
        require_role(actor, &[Role::Admin])?;
        let role: Role = input.role.parse()?;
        if role == Role::Member {
            return Err(Invalid::new("role", "members are admitted with POST /members").into());
        }
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "create_user", idem).await? {
            return Ok(previous);
        }
        let (token, hash) = new_token()?;
        let user = User {
            id: UserId::from_uuid(self.id()),
            email: parse_field("email", &input.email)?,
            role,
            member_id: None,
            lang: input.lang.unwrap_or_default(),
        };
        let at = self.clock.micros();
        tx.insert_user(&user, Some(&hash), at).await?;
        let account = NewAccount { user, token };
        remember(&mut *tx, actor, "create_user", idem, &account, at).await?;
        tx.commit().await?;
        Ok(account)
    }

    /// The first administrator of an empty platform (`ensemble serve` on a new database, the
    /// demo): refused once any user exists.
    pub async fn bootstrap_admin(&self, email: &str) -> AppResult<NewAccount> {
        let mut tx = self.store.write().await?;
        if !tx.users().await?.is_empty() {
            return Err(crate::AppError::conflict(
                "already_initialised",
                "the platform has users already: an administrator creates accounts",
            ));
        }
        let (token, hash) = new_token()?;
        let user = User {
            id: UserId::from_uuid(self.id()),
            email: parse_field("email", email)?,
            role: Role::Admin,
            member_id: None,
            lang: Lang::En,
        };
        tx.insert_user(&user, Some(&hash), self.clock.micros())
            .await?;
        tx.commit().await?;
        Ok(NewAccount { user, token })
    }

    /// A member: staff, or the member themself.
    pub async fn member(&self, actor: &Actor, id: MemberId) -> AppResult<Member> {
        member_access(actor, id)?;
        let mut tx = self.store.read().await?;
        Ok(tx.member(id).await?)
    }

    /// Members of an entity (staff).
    pub async fn members(&self, actor: &Actor, entity: Option<EntityId>) -> AppResult<Vec<Member>> {
        require_staff(actor)?;
        let mut tx = self.store.read().await?;
        Ok(tx.members(entity, 10_000).await?)
    }

    /// Subscribes shares for a member: staff, or the member themself.
    pub async fn subscribe_shares(
        &self,
        actor: &Actor,
        member: MemberId,
        input: &NewShares,
        idem: Option<&Idempotency>,
    ) -> AppResult<ShareSubscription> {
        member_access(actor, member)?;
        if input.count == 0 || input.count > 10_000 {
            return Err(Invalid::new("count", "between 1 and 10 000").into());
        }
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "subscribe_shares", idem).await? {
            return Ok(previous);
        }
        let m = tx.member(member).await?;
        let entity = tx.entity(m.entity_id).await?;
        let s = ShareSubscription {
            id: ShareSubscriptionId::from_uuid(self.id()),
            entity_id: entity.id,
            member_id: m.id,
            count: input.count,
            amount: entity.shares.amount(input.count),
            subscribed_on: input.subscribed_on.unwrap_or(self.clock.today()),
        };
        let at = self.clock.micros();
        tx.insert_share_subscription(&s, at).await?;
        crate::ledger::post_shares(&mut *tx, &entity, &m, &s, at).await?;
        remember(&mut *tx, actor, "subscribe_shares", idem, &s, at).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// The share register of an entity (staff): one line per member, one vote each.
    pub async fn share_register(
        &self,
        actor: &Actor,
        entity: EntityId,
    ) -> AppResult<ShareRegister> {
        require_staff(actor)?;
        let mut tx = self.store.read().await?;
        tx.entity(entity).await?;
        let subscriptions = tx.share_subscriptions(entity).await?;
        let members = tx.members(Some(entity), 100_000).await?;
        let mut lines = Vec::new();
        for m in members {
            let mine: Vec<&ShareSubscription> = subscriptions
                .iter()
                .filter(|s| s.member_id == m.id)
                .collect();
            if mine.is_empty() {
                continue;
            }
            lines.push(RegisterLine {
                member_id: m.id,
                name: m.full_name(),
                count: mine.iter().map(|s| s.count).sum(),
                amount: mine.iter().map(|s| s.amount).sum(),
                votes: 1,
            });
        }
        Ok(ShareRegister {
            entity_id: entity,
            total_amount: lines.iter().map(|l| l.amount).sum(),
            total_votes: lines.iter().map(|l| l.votes).sum(),
            lines,
            subscriptions,
        })
    }
}
