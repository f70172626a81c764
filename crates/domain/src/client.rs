//! Clients of the cooperative's activities, and the VAT their invoices carry.

use serde::{Deserialize, Serialize};

use crate::activity::codes;
use crate::identifiers::{
    BeEnterpriseNumber, CountryCode, Email, PeppolId, PostalAddress, Siren, VatId,
};
use crate::{ClientId, EntityId, Invalid, Lang, Rate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    Company,
    Person,
}

codes!(ClientKind, "kind", "company" => ClientKind::Company, "person" => ClientKind::Person);

/// A company's registration number where the client's country has one Ensemble checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "scheme", content = "value", rename_all = "snake_case")]
pub enum CompanyId {
    Siren(Siren),
    BeEnterprise(BeEnterpriseNumber),
}

/// A client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Client {
    pub id: ClientId,
    pub entity_id: EntityId,
    pub kind: ClientKind,
    pub name: String,
    pub address: PostalAddress,
    pub vat_id: Option<VatId>,
    pub company_id: Option<CompanyId>,
    pub peppol_id: Option<PeppolId>,
    pub email: Option<Email>,
    pub lang: Lang,
}

impl Client {
    pub fn country(&self) -> CountryCode {
        self.address.country()
    }

    /// Checks that the identifiers fit the client's country and kind.
    pub fn check(&self) -> Result<(), Invalid> {
        if self.name.trim().is_empty() {
            return Err(Invalid::new("name", "a client needs a name"));
        }
        if let Some(vat) = &self.vat_id {
            // Greece writes EL in VAT numbers and GR in addresses.
            let vat_country = match vat.country().as_str() {
                "EL" => "GR",
                other => other,
            };
            if vat_country != self.country().as_str() {
                return Err(Invalid::new(
                    "vat_id",
                    format!(
                        "{vat} is a VAT number of {vat_country}, but the client's address is in {}",
                        self.country()
                    ),
                ));
            }
        }
        match (&self.company_id, self.country().as_str()) {
            (Some(CompanyId::Siren(_)), "FR")
            | (Some(CompanyId::BeEnterprise(_)), "BE")
            | (None, _) => {}
            (Some(_), country) => {
                return Err(Invalid::new(
                    "company_id",
                    format!("that registration number is not one of {country}"),
                ));
            }
        }
        if self.kind == ClientKind::Person && (self.vat_id.is_some() || self.company_id.is_some()) {
            return Err(Invalid::new(
                "kind",
                "a person has no VAT or company number: make the client a company",
            ));
        }
        Ok(())
    }
}

/// The VAT category of an invoice line (EN 16931, UNCL 5305 codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VatCategory {
    /// S: standard rate.
    #[serde(rename = "S")]
    Standard,
    /// Z: zero rated.
    #[serde(rename = "Z")]
    Zero,
    /// E: exempt.
    #[serde(rename = "E")]
    Exempt,
    /// AE: reverse charge, the customer accounts for the VAT.
    #[serde(rename = "AE")]
    ReverseCharge,
    /// K: intra-community supply of goods.
    #[serde(rename = "K")]
    IntraCommunity,
    /// G: export outside the EU (goods).
    #[serde(rename = "G")]
    Export,
    /// O: services outside the scope of VAT.
    #[serde(rename = "O")]
    OutOfScope,
}

impl VatCategory {
    pub const fn code(self) -> &'static str {
        match self {
            VatCategory::Standard => "S",
            VatCategory::Zero => "Z",
            VatCategory::Exempt => "E",
            VatCategory::ReverseCharge => "AE",
            VatCategory::IntraCommunity => "K",
            VatCategory::Export => "G",
            VatCategory::OutOfScope => "O",
        }
    }

    pub fn from_code(code: &str) -> Option<VatCategory> {
        Some(match code {
            "S" => VatCategory::Standard,
            "Z" => VatCategory::Zero,
            "E" => VatCategory::Exempt,
            "AE" => VatCategory::ReverseCharge,
            "K" => VatCategory::IntraCommunity,
            "G" => VatCategory::Export,
            "O" => VatCategory::OutOfScope,
            _ => return None,
        })
    }
}

/// The VAT an invoice line carries, with the legal mention when no VAT is charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VatTreatment {
    pub category: VatCategory,
    pub rate: Rate,
}

impl VatTreatment {
    /// The mention an invoice must carry for this treatment, in a language.
    pub fn mention(&self, lang: Lang) -> Option<&'static str> {
        match (self.category, lang) {
            (VatCategory::ReverseCharge, Lang::En) => Some(
                "Reverse charge: VAT to be accounted for by the customer (Article 196, Directive 2006/112/EC)",
            ),
            (VatCategory::ReverseCharge, Lang::Fr) => Some(
                "Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE)",
            ),
            (VatCategory::ReverseCharge, Lang::Nl) => Some(
                "Btw verlegd: btw te voldoen door de afnemer (artikel 196 van Richtlijn 2006/112/EG)",
            ),
            (VatCategory::OutOfScope, Lang::En) => {
                Some("Services outside the scope of EU VAT (Article 44, Directive 2006/112/EC)")
            }
            (VatCategory::OutOfScope, Lang::Fr) => Some(
                "Prestation hors champ de la TVA de l'Union (article 44 de la directive 2006/112/CE)",
            ),
            (VatCategory::OutOfScope, Lang::Nl) => Some(
                "Dienst buiten het toepassingsgebied van de EU-btw (artikel 44 van Richtlijn 2006/112/EG)",
            ),
            _ => None,
        }
    }
}

/// The VAT on services a cooperative established in `supplier` invoices to `client`
/// (Directive 2006/112/EC, place of supply of services):
/// - a client in the supplier's country: the standard rate;
/// - a business client with a VAT number in another member state: reverse charge (art. 44 and
///   196), no VAT;
/// - a business client outside the EU: outside the scope of EU VAT (art. 44), no VAT;
/// - a private client (or a business without VAT number) in the EU: the supplier's VAT
///   (art. 45); outside the EU as well, by the general rule.
pub fn vat_for_services(
    supplier: CountryCode,
    standard_rate: Rate,
    client: &Client,
) -> VatTreatment {
    let standard = VatTreatment {
        category: VatCategory::Standard,
        rate: standard_rate,
    };
    let country = client.country();
    if country == supplier {
        return standard;
    }
    match (client.kind, &client.vat_id, country.is_eu_member()) {
        (ClientKind::Company, Some(_), true) => VatTreatment {
            category: VatCategory::ReverseCharge,
            rate: Rate::ZERO,
        },
        (ClientKind::Company, _, false) => VatTreatment {
            category: VatCategory::OutOfScope,
            rate: Rate::ZERO,
        },
        _ => standard,
    }
}
