//! Cooperative entities: one legal employer per country, with its fee and share policies.

use serde::{Deserialize, Serialize};

use crate::identifiers::{BeEnterpriseNumber, Bic, Iban, PostalAddress, Siret, VatId};
use crate::{Country, EntityId, Invalid, Money, Rate};

/// The registration of a cooperative entity: SIRET in France, enterprise number (BCE/KBO) in
/// Belgium.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "scheme", content = "value", rename_all = "snake_case")]
pub enum LegalId {
    Siret(Siret),
    BeEnterprise(BeEnterpriseNumber),
}

impl LegalId {
    pub fn country(&self) -> Country {
        match self {
            LegalId::Siret(_) => Country::Fr,
            LegalId::BeEnterprise(_) => Country::Be,
        }
    }
}

/// The cooperative's contribution on the work it invoices: `fee = rate × price excl. VAT`.
///
/// Belgium states it as a gross-up of the cost (invoiced = cost / (1 − 6.5 %), so 1 000 € of
/// cost is invoiced 1 069.52 €), France as 8.5 % of the price excl. VAT: the same rule seen
/// from the cost side or from the price side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeePolicy {
    pub rate: Rate,
}

impl FeePolicy {
    /// The figures of Smart-like cooperatives: 6.5 % in Belgium, 8.5 % in France.
    pub const fn standard(country: Country) -> FeePolicy {
        FeePolicy {
            rate: match country {
                Country::Be => Rate::from_ppm(65_000),
                Country::Fr => Rate::from_ppm(85_000),
            },
        }
    }

    /// A policy with a given rate, which must lie between 0 % and 50 %.
    pub fn new(rate: Rate) -> Result<FeePolicy, Invalid> {
        if rate.ppm() < 0 || rate.ppm() > 500_000 {
            return Err(Invalid::new(
                "fee_rate",
                format!("{rate} % is not a fee rate (0 % to 50 %)"),
            ));
        }
        Ok(FeePolicy { rate })
    }

    /// The fee on a price excl. VAT, rounded to the cent.
    pub fn fee_on(&self, price: Money) -> Money {
        self.rate.of(price)
    }

    /// The smallest price whose price − fee covers `cost`: the gross-up.
    pub fn price_for(&self, cost: Money) -> Money {
        let keep = (1_000_000 - self.rate.ppm()).max(1);
        // ceil(cost / (1 − rate)), then settle the rounding of the fee to the cent.
        let scaled = i128::from(cost.cents()) * 1_000_000;
        let keep = i128::from(keep);
        let mut price = Money::from_cents(((scaled + keep - 1) / keep) as i64);
        while price - self.fee_on(price) < cost {
            price += Money::from_cents(1);
        }
        while price > Money::ZERO
            && (price - Money::from_cents(1)) - self.fee_on(price - Money::from_cents(1)) >= cost
        {
            price -= Money::from_cents(1);
        }
        price
    }
}

/// How shares are subscribed: 30 € a share in a French SCOP/SCIC-style CAE, 30 € per year of
/// use in a Belgian cooperative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ShareBasis {
    PerShare,
    PerYearOfUse,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharePolicy {
    pub unit: Money,
    pub basis: ShareBasis,
}

impl SharePolicy {
    pub const fn standard(country: Country) -> SharePolicy {
        SharePolicy {
            unit: Money::from_euros(30),
            basis: match country {
                Country::Be => ShareBasis::PerYearOfUse,
                Country::Fr => ShareBasis::PerShare,
            },
        }
    }

    /// What `count` shares (or years of use) cost.
    pub fn amount(&self, count: u32) -> Money {
        self.unit.times(i64::from(count))
    }
}

/// A cooperative entity: one legal employer in one country.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CooperativeEntity {
    pub id: EntityId,
    pub country: Country,
    pub name: String,
    pub legal_id: LegalId,
    pub vat_id: VatId,
    pub iban: Iban,
    pub bic: Option<Bic>,
    pub address: PostalAddress,
    pub fee: FeePolicy,
    pub shares: SharePolicy,
    /// The standard VAT rate on its services (21 % in Belgium, 20 % in France).
    pub vat_rate: Rate,
    /// Days between an invoice and its due date.
    pub payment_term_days: u32,
    /// Employer headcount, for the contribution rates that depend on it.
    pub headcount: u32,
    /// Whether work declarations are validated at once, or wait in the advisors' queue.
    pub auto_validate: bool,
}

impl CooperativeEntity {
    /// Checks that the identifiers belong to the entity's country.
    pub fn check(&self) -> Result<(), Invalid> {
        if self.name.trim().is_empty() {
            return Err(Invalid::new("name", "an entity needs a name"));
        }
        if self.legal_id.country() != self.country {
            return Err(Invalid::new(
                "legal_id",
                format!(
                    "a {} entity is registered with {}",
                    self.country.name(),
                    match self.country {
                        Country::Fr => "a SIRET",
                        Country::Be => "an enterprise number (BCE/KBO)",
                    }
                ),
            ));
        }
        if self.vat_id.country().as_str() != self.country.code() {
            return Err(Invalid::new(
                "vat_id",
                format!(
                    "{} is not a {} VAT number",
                    self.vat_id,
                    self.country.name()
                ),
            ));
        }
        if self.address.country().as_str() != self.country.code() {
            return Err(Invalid::new(
                "address",
                format!(
                    "the address of a {} entity is in {}",
                    self.country.name(),
                    self.country.name()
                ),
            ));
        }
        if self.payment_term_days == 0 || self.payment_term_days > 120 {
            return Err(Invalid::new(
                "payment_term_days",
                "a payment term lies between 1 and 120 days",
            ));
        }
        Ok(())
    }

    /// The standard VAT rate of a country's services.
    pub const fn standard_vat_rate(country: Country) -> Rate {
        match country {
            Country::Be => Rate::from_ppm(210_000),
            Country::Fr => Rate::from_ppm(200_000),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belgian_gross_up_of_1000_is_1069_52() {
        let fee = FeePolicy::standard(Country::Be);
        let price = fee.price_for(Money::from_euros(1000));
        assert_eq!(price, Money::from_cents(106_952));
        assert_eq!(fee.fee_on(price), Money::from_cents(6_952));
        assert_eq!(price - fee.fee_on(price), Money::from_euros(1000));
    }

    #[test]
    fn gross_up_is_the_smallest_price_covering_the_cost() {
        for rate in [0, 65_000, 85_000, 100_000, 333_333] {
            let fee = FeePolicy::new(Rate::from_ppm(rate)).unwrap();
            for cents in [1, 99, 100_000, 123_457, 9_999_999] {
                let cost = Money::from_cents(cents);
                let price = fee.price_for(cost);
                assert!(price - fee.fee_on(price) >= cost);
                let less = price - Money::from_cents(1);
                assert!(less - fee.fee_on(less) < cost, "rate {rate} cost {cents}");
            }
        }
    }

    #[test]
    fn shares_cost_30_euros_a_unit() {
        assert_eq!(
            SharePolicy::standard(Country::Fr).amount(3),
            Money::from_euros(90)
        );
        assert_eq!(
            SharePolicy::standard(Country::Be).basis,
            ShareBasis::PerYearOfUse
        );
        assert!(FeePolicy::new(Rate::from_ppm(600_000)).is_err());
    }
}
