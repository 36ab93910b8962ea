//! The rules for a network's contact addresses: an e-mail address a reader's mail program can
//! write to, and web addresses a browser opens. Each returns what is wrong (in Norwegian), or
//! `None` when the address is good; the caller names the field.

use email_address::{EmailAddress, Options};

/// Whether an e-mail address is wrong: `Some(how to fix it)`.
///
/// Parsed by the `email_address` crate (RFC 5322), and then held to what a `mailto:` link
/// carries safely: letters, digits and `._+-` in the local part (no quoting, comments or
/// characters a `mailto:` link reads as its own), no IP address as domain, and a domain with at
/// least one dot.
pub fn email_problem(address: &str) -> Option<&'static str> {
    let help = "skriv én adresse som navn@eksempel.no, uten navn foran, «mailto:» eller mellomrom";
    let wrong = || Some(help);
    let options = Options::default()
        .with_required_tld()
        .without_domain_literal()
        .without_display_text();
    let Ok(parsed) = EmailAddress::parse_with_options(address, options) else {
        return wrong();
    };
    let (local, domain) = (parsed.local_part(), parsed.domain());
    let plain_local = local
        .chars()
        // Only what ordinary addresses use: `?`, `&`, `#`, `%` and `=` are allowed by RFC 5322
        // but would start or end a `mailto:` link's own parameters (a hidden Cc or body).
        .all(|c| c.is_alphanumeric() || "._+-".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let plain_domain = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().all(char::is_alphabetic));
    if plain_local && plain_domain && parsed.as_str() == address {
        None
    } else {
        wrong()
    }
}

/// What is wrong with a web address a reader follows (`website`, `contact_url`), if anything:
/// the site's own rule for addresses ([`crate::config::link_address_problem`]).
pub fn web_address_problem(address: &str) -> Option<String> {
    crate::config::link_address_problem(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted() {
        for good in [
            "post@digi-agder.no",
            "kari.nordmann+deling@kommune.no",
            "æøå@bø.kommune.no",
        ] {
            assert_eq!(email_problem(good), None, "{good}");
        }
    }

    #[test]
    fn addresses_a_mailto_link_cannot_carry_safely_are_refused() {
        for bad in [
            "post",
            "post@",
            "@digi-agder.no",
            "post@localhost",
            "post@[127.0.0.1]",
            "\"kari nordmann\"@kommune.no",
            "Kari <kari@kommune.no>",
            "mailto:post@kommune.no",
            "post@kommune.no?subject=x",
            "post@kommune..no",
            ".post@kommune.no",
            "post @kommune.no",
        ] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn an_address_that_would_add_mailto_parameters_is_refused() {
        for bad in [
            "post?cc=spy%40evil.no&body=Hei#x@digi-agder.no",
            "post&cc=spy@digi-agder.no",
            "post#x@digi-agder.no",
            "post=1@digi-agder.no",
            "post%40evil.no@digi-agder.no",
        ] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn web_addresses_need_a_scheme_a_host_and_no_spaces() {
        assert_eq!(
            web_address_problem("https://www.digi-agder.no/kontakt"),
            None
        );
        assert_eq!(web_address_problem("http://ks.no"), None);
        for bad in [
            "www.ks.no",
            "https://",
            "https://ks",
            "ftp://ks.no",
            "javascript:alert(1)",
            "https://ks.no/a b",
            "https://kari@ks.no",
        ] {
            assert!(web_address_problem(bad).is_some(), "{bad}");
        }
    }
}
