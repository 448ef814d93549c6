-- 0006: Ein Fragebogen ist durch (standort, code, welle) bestimmt, nicht mehr durch (code, welle).
-- Selbst erzeugte Codes (2 Buchstaben + 2 Ziffern + 2 Buchstaben) kommen an zwei Standorten
-- vor; mit dem alten Schlüssel überschrieb ein Import des einen Standorts die Zeile des anderen.
-- DuckDB kann einen Primärschlüssel nicht ändern: die Tabelle wird mit denselben Spalten in
-- derselben Reihenfolge neu angelegt und jede Zeile unverändert übernommen (der alte Schlüssel
-- ist strenger als der neue, es kann also keine Zeile wegfallen). Geprüft in
-- tests/monitor/test_migration_0006.py an einer Datenbank, die main vor dieser Migration schrieb.

CREATE TABLE befragungen_0006 (
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
    PRIMARY KEY (standort, code, welle)
);

INSERT INTO befragungen_0006 SELECT * FROM befragungen;

DROP TABLE befragungen;

ALTER TABLE befragungen_0006 RENAME TO befragungen;
