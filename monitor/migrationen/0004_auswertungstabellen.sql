-- 0004: Auswertungstabellen (Issue 4/8). Vorberechnete Summen je Standort × Gruppe × Format ×
-- Quartal für alle vier Gruppierungen (auswertung_einzel, auswertung_paare, auswertung_match,
-- auswertung_aktivitaeten). Deren Spalten folgen dem Indikatorkatalog; sie werden deshalb von
-- indikatoren.engine.auswertungstabellen_aufbauen angelegt (CREATE OR REPLACE), nicht hier.
-- Jeder Schreiber von befragungen/aktivitaeten baut sie in seiner Transaktion neu auf.
--
-- Hier steht, wovon die Tabellen berechnet wurden: ein Fingerabdruck der Rohdaten (Zeilenzahl
-- und Summe der Zeilen-Hashes) und ein Hash der Definitionen. Passt eins davon nicht mehr,
-- liest die Engine die Tabellen nicht, sondern baut sie neu auf (oder rechnet aus den
-- Rohdaten, wenn die Verbindung nur lesen darf).
CREATE TABLE auswertungsstand (
    id INTEGER PRIMARY KEY,            -- immer 1: eine Zeile
    datenstand VARCHAR NOT NULL,       -- Fingerabdruck der Rohdaten beim Aufbau
    definition VARCHAR NOT NULL,       -- SHA-256 der erzeugenden Abfragen
    erstellt_am TIMESTAMP NOT NULL
);
