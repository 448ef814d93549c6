-- 0001: Grundschema. Standorte, Befragungen (eine Zeile je Fragebogen), Aktivitäten,
-- Zielwerte und das Importprotokoll. Befragungs-Spalten folgen data/codebuch.csv
-- (tests/monitor/test_db.py prüft, dass beide übereinstimmen).

CREATE SEQUENCE import_id_seq START 1;

CREATE TABLE importe (
    import_id INTEGER PRIMARY KEY,
    dateiname VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    art VARCHAR NOT NULL,
    zeilen INTEGER NOT NULL,
    neu INTEGER NOT NULL,
    aktualisiert INTEGER NOT NULL,
    zeitpunkt TIMESTAMP NOT NULL,
    ergebnis VARCHAR NOT NULL,
    demo BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE standorte (
    standort VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    ort VARCHAR NOT NULL,
    bundesland VARCHAR NOT NULL,
    lat DOUBLE,
    lon DOUBLE,
    start DATE NOT NULL,
    demo BOOLEAN NOT NULL DEFAULT false,
    import_id INTEGER
);

CREATE TABLE befragungen (
    code VARCHAR NOT NULL,
    standort VARCHAR NOT NULL,
    welle VARCHAR NOT NULL,
    datum DATE NOT NULL,
    format VARCHAR,
    migrationshintergrund VARCHAR,
    geschlecht VARCHAR,
    altersgruppe VARCHAR,
    zufriedenheit SMALLINT,
    a_kontakt_haeufigkeit SMALLINT,
    a_kontakt_qualitaet_1 SMALLINT,
    a_kontakt_qualitaet_2 SMALLINT,
    a_kontakt_qualitaet_3 SMALLINT,
    a_neue_kontakte SMALLINT,
    a_thermometer SMALLINT,
    a_vertrauen_1 SMALLINT,
    a_vertrauen_2 SMALLINT,
    a_vertrauen_3 SMALLINT,
    a_werte_1 SMALLINT,
    a_werte_2 SMALLINT,
    b_selbstwirksamkeit_1 SMALLINT,
    b_selbstwirksamkeit_2 SMALLINT,
    b_selbstwirksamkeit_3 SMALLINT,
    b_kompetenz_1 SMALLINT,
    b_kompetenz_2 SMALLINT,
    b_kompetenz_3 SMALLINT,
    b_kompetenz_4 SMALLINT,
    b_oeffentlich BOOLEAN,
    b_anerkennung SMALLINT,
    c_kennt_1 BOOLEAN,
    c_kennt_2 BOOLEAN,
    c_kennt_3 BOOLEAN,
    c_kennt_4 BOOLEAN,
    c_kennt_5 BOOLEAN,
    c_kennt_6 BOOLEAN,
    c_kennt_7 BOOLEAN,
    c_kennt_8 BOOLEAN,
    c_aktiv BOOLEAN,
    c_engagiert BOOLEAN,
    c_wirksamkeit_1 SMALLINT,
    c_wirksamkeit_2 SMALLINT,
    c_wirksamkeit_3 SMALLINT,
    c_wirksamkeit_4 SMALLINT,
    c_verantwortung SMALLINT,
    c_engagement_absicht SMALLINT,
    demo BOOLEAN NOT NULL DEFAULT false,
    import_id INTEGER,
    PRIMARY KEY (code, welle)
);

CREATE TABLE aktivitaeten (
    aktivitaet_id VARCHAR NOT NULL,
    standort VARCHAR NOT NULL,
    datum DATE NOT NULL,
    titel VARCHAR NOT NULL,
    typ VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    dauer_min INTEGER,
    teilnehmende_gesamt INTEGER NOT NULL,
    teilnehmende_mit_mh INTEGER,
    teilnehmende_ohne_mh INTEGER,
    neue_teilnehmende INTEGER,
    teilnehmende_mit_rolle INTEGER,
    oeffentlich BOOLEAN,
    reichweite INTEGER,
    demo BOOLEAN NOT NULL DEFAULT false,
    import_id INTEGER,
    PRIMARY KEY (standort, aktivitaet_id)
);

-- standort = 'gesamt' für Zielwerte des ganzen Projekts (Standort-IDs sind großgeschrieben).
CREATE TABLE zielwerte (
    indikator VARCHAR NOT NULL,
    standort VARCHAR NOT NULL,
    basiswert DOUBLE,
    zielwert DOUBLE NOT NULL,
    stichtag DATE NOT NULL,
    demo BOOLEAN NOT NULL DEFAULT false,
    import_id INTEGER,
    PRIMARY KEY (indikator, standort)
);
