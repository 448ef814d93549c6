-- 0007: Härtung (Issue 14). Keine Gesamtsperre mehr: gedrosselt wird je Anmeldename und je
-- Client (Schlüssel 'client#<hash>'); die alte Gesamtzeile '*' konnte jeden aussperren.
-- 'abgewiesen' zählt die während einer Sperre abgewiesenen Versuche, damit das
-- Auditprotokoll sie zusammengefasst (eine Zeile je Sperre) statt einzeln führt.
DELETE FROM anmeldeversuche WHERE schluessel = '*';
ALTER TABLE anmeldeversuche ADD COLUMN abgewiesen INTEGER DEFAULT 0;
