//! Clients of the activities.

use ensemble_domain::client::{Client, CompanyId};
use ensemble_domain::identifiers::{BeEnterpriseNumber, Siren};
use ensemble_domain::{ClientId, EntityId, Invalid, Lang, parse_field};

use crate::idempotency::{remember, replay};
use crate::inputs::{NewClient, optional, text};
use crate::{Actor, App, AppError, AppResult, Idempotency};

impl App {
    /// Records a client of an entity (its members, or staff).
    pub async fn create_client(
        &self,
        actor: &Actor,
        input: &NewClient,
        idem: Option<&Idempotency>,
    ) -> AppResult<Client> {
        let address = input.address.parse("address")?;
        let company_id = match (
            input.company_id.as_deref().map(str::trim),
            address.country().as_str(),
        ) {
            (None | Some(""), _) => None,
            (Some(id), "FR") => Some(CompanyId::Siren(parse_field::<Siren>("company_id", id)?)),
            (Some(id), "BE") => Some(CompanyId::BeEnterprise(parse_field::<BeEnterpriseNumber>(
                "company_id",
                id,
            )?)),
            (Some(_), other) => {
                return Err(Invalid::new(
                    "company_id",
                    format!("Ensemble checks SIREN (FR) and enterprise numbers (BE), not numbers of {other}: leave it empty"),
                )
                .into());
            }
        };
        let client = Client {
            id: ClientId::from_uuid(self.id()),
            entity_id: input.entity_id,
            kind: input.kind()?,
            name: text("name", &input.name, 200)?,
            address,
            vat_id: optional("vat_id", &input.vat_id)?,
            company_id,
            peppol_id: optional("peppol_id", &input.peppol_id)?,
            email: optional("email", &input.email)?,
            lang: input.lang.unwrap_or(Lang::Fr),
        };
        client.check()?;
        let mut tx = self.store.write().await?;
        if let Some(previous) = replay(&mut *tx, actor, "create_client", idem).await? {
            return Ok(previous);
        }
        tx.entity(input.entity_id).await?;
        if !actor.role.is_staff() {
            let me = crate::access::own_member(actor)?;
            if tx.member(me).await?.entity_id != input.entity_id {
                return Err(AppError::forbidden("you are a member of another entity"));
            }
        }
        let at = self.clock.micros();
        tx.insert_client(&client, at).await?;
        remember(&mut *tx, actor, "create_client", idem, &client, at).await?;
        tx.commit().await?;
        Ok(client)
    }

    /// Clients of an entity: members see their entity's clients, staff any.
    pub async fn clients(&self, actor: &Actor, entity: Option<EntityId>) -> AppResult<Vec<Client>> {
        let mut tx = self.store.read().await?;
        let entity = if actor.role.is_staff() {
            entity
        } else {
            let me = crate::access::own_member(actor)?;
            Some(tx.member(me).await?.entity_id)
        };
        Ok(tx.clients(entity, 10_000).await?)
    }

    pub async fn client(&self, actor: &Actor, id: ClientId) -> AppResult<Client> {
        let mut tx = self.store.read().await?;
        let client = tx.client(id).await?;
        if !actor.role.is_staff() {
            let me = crate::access::own_member(actor)?;
            if tx.member(me).await?.entity_id != client.entity_id {
                return Err(AppError::forbidden("that client belongs to another entity"));
            }
        }
        Ok(client)
    }
}
