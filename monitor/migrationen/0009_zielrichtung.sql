-- 0009: Ein Zielwert auf der falschen Seite des Basiswerts (bei „höher ist besser“ darunter)
-- wird nur gespeichert, wenn er ausdrücklich bestätigt ist (Issue 15); NULL/false = nicht bestätigt.
-- Die Tabelle wird neu angelegt, damit die Spalte vor demo/import_id steht (wie bei allen Tabellen
-- der Importarten: deklarierte Spalten, dann demo, import_id).
CREATE TABLE zielwerte_neu (
    indikator VARCHAR NOT NULL,
    standort VARCHAR NOT NULL,
    basiswert DOUBLE,
    zielwert DOUBLE NOT NULL,
    stichtag DATE NOT NULL,
    richtung_bestaetigt BOOLEAN,
    demo BOOLEAN NOT NULL DEFAULT false,
    import_id INTEGER,
    PRIMARY KEY (indikator, standort)
);
INSERT INTO zielwerte_neu (indikator, standort, basiswert, zielwert, stichtag, demo, import_id)
SELECT indikator, standort, basiswert, zielwert, stichtag, demo, import_id FROM zielwerte;
DROP TABLE zielwerte;
ALTER TABLE zielwerte_neu RENAME TO zielwerte;
