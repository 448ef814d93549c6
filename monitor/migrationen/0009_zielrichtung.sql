-- 0009: Ein Zielwert auf der falschen Seite des Basiswerts (bei „höher ist besser“ darunter)
-- wird nur gespeichert, wenn er ausdrücklich bestätigt ist (Issue 15); NULL/false = nicht bestätigt.
ALTER TABLE zielwerte ADD COLUMN richtung_bestaetigt BOOLEAN;
