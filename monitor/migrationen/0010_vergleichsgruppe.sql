-- 0010: Vergleichsgruppe (Issue 15). Eine Person, die nicht am Projekt teilnimmt, sondern als
-- Vergleich befragt wird, trägt vergleichsgruppe = true (an T0 erfasst, wie der
-- Migrationshintergrund auf T1/T2 desselben (standort, code) übertragen). NULL/false = Teilnehmende.
-- Die Tabelle wird neu angelegt, damit die Spalte in Codebuch-Reihenfolge vor demo/import_id steht
-- (wie 0006 und 0009); jede Zeile wird unverändert übernommen.
CREATE TABLE befragungen_0010 (
    code VARCHAR NOT NULL,
    standort VARCHAR NOT NULL,
    welle VARCHAR NOT NULL,
    datum DATE NOT NULL,
    format VARCHAR,
    migrationshintergrund VARCHAR,
    vergleichsgruppe BOOLEAN,
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

INSERT INTO befragungen_0010 (code, standort, welle, datum, format, migrationshintergrund, geschlecht, altersgruppe, zufriedenheit, a_kontakt_haeufigkeit, a_kontakt_qualitaet_1, a_kontakt_qualitaet_2, a_kontakt_qualitaet_3, a_neue_kontakte, a_thermometer, a_vertrauen_1, a_vertrauen_2, a_vertrauen_3, a_werte_1, a_werte_2, b_selbstwirksamkeit_1, b_selbstwirksamkeit_2, b_selbstwirksamkeit_3, b_kompetenz_1, b_kompetenz_2, b_kompetenz_3, b_kompetenz_4, b_oeffentlich, b_anerkennung, c_kennt_1, c_kennt_2, c_kennt_3, c_kennt_4, c_kennt_5, c_kennt_6, c_kennt_7, c_kennt_8, c_aktiv, c_engagiert, c_wirksamkeit_1, c_wirksamkeit_2, c_wirksamkeit_3, c_wirksamkeit_4, c_verantwortung, c_engagement_absicht, demo, import_id)
SELECT code, standort, welle, datum, format, migrationshintergrund, geschlecht, altersgruppe, zufriedenheit, a_kontakt_haeufigkeit, a_kontakt_qualitaet_1, a_kontakt_qualitaet_2, a_kontakt_qualitaet_3, a_neue_kontakte, a_thermometer, a_vertrauen_1, a_vertrauen_2, a_vertrauen_3, a_werte_1, a_werte_2, b_selbstwirksamkeit_1, b_selbstwirksamkeit_2, b_selbstwirksamkeit_3, b_kompetenz_1, b_kompetenz_2, b_kompetenz_3, b_kompetenz_4, b_oeffentlich, b_anerkennung, c_kennt_1, c_kennt_2, c_kennt_3, c_kennt_4, c_kennt_5, c_kennt_6, c_kennt_7, c_kennt_8, c_aktiv, c_engagiert, c_wirksamkeit_1, c_wirksamkeit_2, c_wirksamkeit_3, c_wirksamkeit_4, c_verantwortung, c_engagement_absicht, demo, import_id FROM befragungen;

DROP TABLE befragungen;

ALTER TABLE befragungen_0010 RENAME TO befragungen;
