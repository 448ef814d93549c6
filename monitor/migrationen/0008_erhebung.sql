-- 0008: Erhebung im Monitor (Issue 17). Fragebogen-Links je Standort und Welle: hier steht nur
-- der SHA-256-Hash des Tokens, nie das Token selbst (wer die Datei liest, kann keinen Link
-- bauen). Widerrufen und Ablauf beenden den Link; jede Änderung steht im Auditprotokoll.
CREATE TABLE erhebungslinks (
    token_hash VARCHAR PRIMARY KEY,
    standort VARCHAR NOT NULL,
    welle VARCHAR NOT NULL,
    gueltig_bis DATE NOT NULL,          -- letzter Tag, an dem der Link angenommen wird
    angelegt_am TIMESTAMP NOT NULL,
    angelegt_von VARCHAR NOT NULL,
    widerrufen_am TIMESTAMP
);

-- Posteingang der Projektleitung: Fragebögen, die nicht direkt übernommen werden konnten (das
-- Quartal ist freigegeben und gesperrt, oder der Code hat in dieser Welle schon einen
-- Fragebogen). Nur die Werte des Codebuchs als JSON, keine IP-Adresse, nichts sonst.
CREATE SEQUENCE erhebung_eingang_seq START 1;

CREATE TABLE erhebung_eingang (
    id BIGINT PRIMARY KEY,
    standort VARCHAR NOT NULL,
    welle VARCHAR NOT NULL,
    eingegangen_am TIMESTAMP NOT NULL,
    grund VARCHAR NOT NULL,
    zeile VARCHAR NOT NULL,             -- JSON: Variable → Wert wie in einer Importdatei
    erledigt_am TIMESTAMP,
    erledigt_von VARCHAR,
    ergebnis VARCHAR                    -- uebernommen, verworfen
);
