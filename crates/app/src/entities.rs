//! Cooperative entities: one legal employer per country.

use ensemble_domain::coop::{CooperativeEntity, LegalId, SharePolicy};
use ensemble_domain::identifiers::{BeEnterpriseNumber, Siret};
use ensemble_domain::people::Role;
use ensemble_domain::{Country, EntityId, FeePolicy, Invalid, parse_field};

use crate::access::require_role;
use crate::idempotency::{remember, replay};
use crate::inputs::{EntitySettings, NewEntity, optional, text};
use crate::{Actor, App, AppResult, Idempotency};

impl App {
    /// Creates a cooperative entity (administrators).
    pub async fn create_entity(
        &self,
        actor: &Actor,
        input: &NewEntity,
        idem: Option<&Idempotency>,
    ) -> AppResult<CooperativeEntity> {
        require_role(actor, &[Role::Admin])?;
        let country: Country = parse_field("country", &input.country)?;
        let legal_id = match country {
            Country::Fr => LegalId::Siret(parse_field::<Siret>("legal_id", &input.legal_id)?),
            Country::Be => LegalId::BeEnterprise(parse_field::<BeEnterpriseNumber>(
                "legal_id",
                &input.legal_id,
            )?),
        };
        let fee = match input.fee_rate {
            Some(rate) => FeePolicy::new(rate)?,
            None => FeePolicy::standard(country),
        };
        let vat_rate = input
            .vat_rate
            .unwrap_or(CooperativeEntity::standard_vat_rate(country));
        if vat_rate.ppm() < 0 || vat_rate.ppm() > 300_000 {
            return Err(Invalid::new("vat_rate", format!("{vat_rate} % is not a VAT rate")).into());
        }
        let entity = CooperativeEntity {
            id: EntityId::from_uuid(self.id()),
            country,
            name: text("name", &input.name, 200)?,
            legal_id,
            vat_id: parse_field("vat_id", &input.vat_id)?,
            iban: parse_field("iban", &input.iban)?,
            bic: optional("bic", &input.bic)?,
            address: input.address.parse("address")?,
            fee,
            shares: SharePolicy::standard(country),
            vat_rate,
            payment_term_days: input.payment_term_days.unwrap_or(10),
            headcount: input
                .headcount
                .unwrap_or(ensemble_payroll::DEFAULT_HEADCOUNT),
            auto_validate: input.auto_validate,
        };
        entity.check()?;
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "create_entity", idem).await? {
            return Ok(previous);
        }
        tx.insert_entity(&entity, self.clock.micros()).await?;
        remember(
            &mut *tx,
            actor,
            "create_entity",
            idem,
            &entity,
            self.clock.micros(),
        )
        .await?;
        tx.commit().await?;
        Ok(entity)
    }

    /// Changes an entity's settings (administrators): its fee rate, payment term, headcount
    /// and whether declarations are validated at once. Documents already issued keep the
    /// figures they were issued with; the new fee applies to work declared from now on.
    pub async fn update_entity_settings(
        &self,
        actor: &Actor,
        id: EntityId,
        input: &EntitySettings,
    ) -> AppResult<CooperativeEntity> {
        require_role(actor, &[Role::Admin])?;
        let mut tx = self.store.write().await?;
        let mut entity = tx.entity(id).await?;
        entity.fee = FeePolicy::new(input.fee_rate)?;
        entity.payment_term_days = input.payment_term_days;
        if input.headcount == 0 || input.headcount > 1_000_000 {
            return Err(
                Invalid::new("headcount", "a headcount lies between 1 and 1,000,000").into(),
            );
        }
        entity.headcount = input.headcount;
        entity.auto_validate = input.auto_validate;
        entity.check()?;
        tx.update_entity_settings(&entity).await?;
        tx.commit().await?;
        Ok(entity)
    }

    /// Every entity with its settings, for the back office (staff).
    pub async fn entity_settings(&self, actor: &Actor) -> AppResult<Vec<CooperativeEntity>> {
        crate::access::require_staff(actor)?;
        let mut tx = self.store.read().await?;
        Ok(tx.entities().await?)
    }

    /// Every entity (anyone signed in: names and legal details are public).
    pub async fn entities(&self, _actor: &Actor) -> AppResult<Vec<CooperativeEntity>> {
        let mut tx = self.store.read().await?;
        Ok(tx.entities().await?)
    }

    pub async fn entity(&self, _actor: &Actor, id: EntityId) -> AppResult<CooperativeEntity> {
        let mut tx = self.store.read().await?;
        Ok(tx.entity(id).await?)
    }
}
