//! Contacts a reader can act on: «Kontakt nettverket» on every record with the best way its
//! network offers (its e-mail address with the record's title as subject, its contact form, or
//! else a prefilled question on the site's GitHub repository), a network's own contact, and
//! the networks a municipality belongs to.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use super::Site;
use super::views::LinkView;
use crate::content::{Network, Owner, Record};
use crate::i18n::Lang;

/// What a `mailto:` header value or a query value may keep unescaped (RFC 3986 unreserved).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How to reach the organisation behind a record or a network.
#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    /// «Kontakt nettverket» or «Kontakt KS».
    pub heading: String,
    /// The network (or KS), linked to its page when it has one.
    pub organisation: LinkView,
    /// The best action: an e-mail, a form or a question on GitHub; `None` when there is none.
    pub action: Option<ContactAction>,
    pub website: Option<String>,
    /// The record's or network's own free text (`contact`), a role and an organisation.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactAction {
    /// `email`, `form` or `issue`.
    pub kind: &'static str,
    pub url: String,
    /// What the link says, and a label before it («E-post»); the label may be empty.
    pub text: String,
    pub label: String,
    /// A note after the link (that a GitHub question needs an account); may be empty.
    pub note: String,
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

impl Site<'_> {
    /// «Kontakt nettverket» for a record: its owner's contact, the record's title as subject.
    pub fn record_contact(&self, record: &Record) -> ContactView {
        let lang = record.common.language;
        let network = match &record.owner {
            Owner::Network(id) => self.loaded.networks.get(id),
            Owner::National => None,
        };
        let subject = format!(
            "{}: {}",
            self.strings.get(lang, "contact_question_about"),
            record.common.title
        );
        let page = self.urls.absolute(&record.path());
        let mut view = self.contact(network, lang, &subject, &page);
        view.text = record.common.contact.clone();
        view
    }

    /// A network's contact on its own page (in the site's language), the network's name as
    /// subject.
    pub fn network_contact(&self, network: &Network) -> ContactView {
        let lang = self.lang;
        let subject = format!(
            "{}: {}",
            self.strings.get(lang, "contact_question_about"),
            network.name
        );
        let page = self.urls.absolute(&network.path());
        let mut view = self.contact(Some(network), lang, &subject, &page);
        view.text = network.contact.clone();
        // On its own page the network's name needs no link to itself.
        view.organisation.url.clear();
        view
    }

    /// `network` is `None` for KS (records under `nasjonalt/`).
    fn contact(
        &self,
        network: Option<&Network>,
        lang: Lang,
        subject: &str,
        page: &str,
    ) -> ContactView {
        let word = |key: &str| self.strings.get(lang, key).to_string();
        let (heading, organisation) = match network {
            Some(n) => (word("contact_network"), self.network_link(&n.id)),
            None => (
                word("contact_ks"),
                LinkView {
                    name: "KS".to_string(),
                    url: String::new(),
                },
            ),
        };
        let name = &organisation.name;
        let email = network.and_then(|n| n.contact_email.as_deref());
        let form = network.and_then(|n| n.contact_url.as_deref());
        let action = if let Some(address) = email {
            Some(ContactAction {
                kind: "email",
                url: format!("mailto:{address}?subject={}", encode(subject)),
                text: address.to_string(),
                label: word("contact_email"),
                note: String::new(),
            })
        } else if let Some(form) = form {
            Some(ContactAction {
                kind: "form",
                url: form.to_string(),
                text: format!("{} {name}", word("contact_form_of")),
                label: String::new(),
                note: String::new(),
            })
        } else {
            self.loaded.config.repository.as_ref().map(|repo| {
                let body = format!(
                    "{} {name}\n{} {page}\n\n",
                    word("contact_question_to"),
                    word("contact_question_regarding")
                );
                ContactAction {
                    kind: "issue",
                    url: format!(
                        "{}/issues/new?title={}&body={}",
                        repo.trim_end_matches('/'),
                        encode(subject),
                        encode(&body)
                    ),
                    text: format!("{} {name}", word("contact_ask_on_github")),
                    label: String::new(),
                    note: word("contact_github_note"),
                }
            })
        };
        ContactView {
            heading,
            organisation,
            action,
            website: network.and_then(|n| n.website.clone()),
            text: None,
        }
    }

    /// The networks a municipality belongs to: those that list it among their members (which
    /// are every municipality in their counties unless a network lists its own).
    pub fn networks_of_municipality(&self, number: &str) -> Vec<LinkView> {
        self.loaded
            .networks
            .values()
            .filter(|n| n.members.iter().any(|m| m == number))
            .map(|n| self.network_link(&n.id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_escape_everything_a_mail_program_or_github_would_read_as_syntax() {
        assert_eq!(
            encode("Spørsmål om: Arkiv & lov?"),
            "Sp%C3%B8rsm%C3%A5l%20om%3A%20Arkiv%20%26%20lov%3F"
        );
        assert_eq!(encode("a\nb#c=d+e"), "a%0Ab%23c%3Dd%2Be");
    }
}
