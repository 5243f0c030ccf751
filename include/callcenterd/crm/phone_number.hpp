#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace callcenterd::crm {

// Phone numbers as the CRM keeps them: E.164, "+" and 5 to 15 digits, the first not 0
// ("+8613800138000"). One spelling per number is what lets a caller's number find its
// customer. All functions here are pure and may run on any thread.

/// `raw` as E.164, or nothing when it cannot be a phone number. `country_code` is the site's
/// country calling code as digits ("86"); it completes national numbers. The rules:
///
///  - Separators are ignored: spaces, '-', '.', '/', and parentheses that pair up, also in
///    their full-width forms (＋８６ １３８…). Anything else (letters, "ext", '#', '*') makes the
///    number invalid: a vanity number or an extension is not something a caller ID matches.
///  - '+' (only as the first character) or a leading "00" (the international prefix of
///    China and most of Europe and Asia) means the country code follows: "+86 138-0013-8000"
///    and "0086 13800138000" are both "+8613800138000". A "(0)" after it is a trunk prefix
///    written for national callers and is dropped ("+44 (0)20 7946 0000").
///  - Otherwise the number is national: a leading trunk 0 is dropped and the country code
///    put in front ("(010) 8888 6666" is "+861088886666"; "13800138000" is "+8613800138000").
///    For country code 1 (North America, trunk prefix 1) an 11-digit national number
///    starting with 1 already carries the country code.
///  - The result has 5 to 15 digits after the '+' and does not start with 0.
///
/// `country_code` must be 1 to 3 digits not starting with 0, or nothing is normalised.
std::optional<std::string> normalize_e164(std::string_view raw, std::string_view country_code);

/// For searching while someone types: the E.164 beginning of a partial number, by the same
/// rules but without the minimum length ("138" is "+86138", "010 88" is "+861088"). Nothing
/// unless `raw` has at least 3 digits and only digits, separators and a leading '+'.
std::optional<std::string> e164_prefix(std::string_view raw, std::string_view country_code);

}  // namespace callcenterd::crm
