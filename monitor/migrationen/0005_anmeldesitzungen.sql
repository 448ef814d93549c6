-- 0005: Anmeldung über ein Neuladen der Seite hinweg (Issue 7). Der Browser hält ein zufälliges
-- Sitzungs-Token als Cookie; hier steht nur dessen SHA-256-Hash, nie das Token selbst.
-- Gültig höchstens SITZUNG_MAX_DAUER (monitor/benutzer.py); Abmelden löscht die Zeile, und jede
-- Kontoänderung nach der Anmeldung (Sperre, Rolle, Passwort) macht sie ungültig.
CREATE TABLE anmeldesitzungen (
    token_hash VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    angemeldet_am TIMESTAMP NOT NULL,
    gueltig_bis TIMESTAMP NOT NULL
);
