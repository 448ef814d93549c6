-- 0003: Zugang und Betrieb (Issue 7). Benutzer mit Rollen, Sperren nach Fehlversuchen,
-- Auditprotokoll (nur Anhängen, Hash-Kette) und Freigabe je Standort und Quartal.
-- Rollen und Rechte stehen als Daten in monitor/benutzer.py (ROLLEN), nicht hier.

CREATE TABLE benutzer (
    name VARCHAR PRIMARY KEY,          -- klein geschrieben (Anmeldung ohne Groß/klein)
    rolle VARCHAR NOT NULL,            -- Schlüssel aus monitor.benutzer.ROLLEN
    standort VARCHAR,                  -- nur bei Rolle 'standort'
    passwort_hash VARCHAR NOT NULL,    -- argon2id-Hash, nie das Passwort
    gesperrt BOOLEAN NOT NULL DEFAULT false,
    angelegt_am TIMESTAMP NOT NULL,
    geaendert_am TIMESTAMP NOT NULL    -- Rolle, Sperre oder Passwort; beendet ältere Sitzungen
);

-- Fehlversuche je Anmeldename (unbekannte Namen nur als Hash) und insgesamt ('*'), damit die
-- Sperre einen Neustart des Dashboards übersteht.
CREATE TABLE anmeldeversuche (
    schluessel VARCHAR PRIMARY KEY,
    fehlversuche INTEGER NOT NULL,
    letzter_fehlversuch TIMESTAMP NOT NULL,
    gesperrt_bis TIMESTAMP
);

-- Nur Anhängen: monitor/audit.py bietet kein Ändern und kein Löschen. DuckDB kennt keine
-- Trigger; jede Zeile trägt den Hash ihrer Vorgängerin, so fällt jede nachträgliche Änderung
-- mit SQL an der Kette auf (monitor.audit.pruefe_protokoll).
CREATE SEQUENCE audit_id_seq START 1;

CREATE TABLE auditprotokoll (
    id BIGINT PRIMARY KEY,
    zeitpunkt TIMESTAMP NOT NULL,
    wer VARCHAR NOT NULL,
    was VARCHAR NOT NULL,
    details VARCHAR,                   -- JSON
    grund VARCHAR,
    vorgaenger VARCHAR NOT NULL,       -- Hash der vorigen Zeile ('' bei der ersten)
    hash VARCHAR NOT NULL
);

-- Freigabe je Standort und Quartal ('2025-Q1'). Keine Zeile = Entwurf. Der Verlauf steht im
-- Auditprotokoll.
CREATE TABLE freigaben (
    standort VARCHAR NOT NULL,
    quartal VARCHAR NOT NULL,
    status VARCHAR NOT NULL,           -- entwurf, eingereicht, freigegeben, zurueckgegeben
    grund VARCHAR,
    geaendert_von VARCHAR NOT NULL,
    geaendert_am TIMESTAMP NOT NULL,
    PRIMARY KEY (standort, quartal)
);
