-- 0002: Zuordnungsprofile für Exporte aus Umfragewerkzeugen (KoboToolbox/ODK, LimeSurvey,
-- Microsoft Forms, Google Forms, SoSci Survey). Ein Profil hält die bestätigte Zuordnung
-- Spalte → Variable, Antwort → Code und feste Werte (Standort, Welle) als JSON; es enthält
-- Spaltennamen und Antworttexte, nie eine Antwort einer Person (monitor/umfragen/profile.py).

CREATE TABLE zuordnungsprofile (
    name VARCHAR PRIMARY KEY,
    standort VARCHAR,           -- Standort, dem das Profil gehört (NULL = ganzes Projekt)
    werkzeug VARCHAR NOT NULL,
    profil VARCHAR NOT NULL,    -- JSON, siehe Profil.als_json()
    geaendert_am TIMESTAMP NOT NULL
);
