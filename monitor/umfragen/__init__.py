"""Survey tools: questionnaires out of the codebook, tool exports back in.

Sites run the questionnaire in KoboToolbox/ODK, LimeSurvey, Microsoft Forms, Google Forms,
SoSci Survey or on paper. :mod:`.fragebogen_aus` generates the questionnaires from
``data/codebuch.csv``; :mod:`.erkennung` tells the tool from an export's columns;
:mod:`.zuordnung` maps the export to the codebook (or stops with a German report);
:mod:`.profile` keeps confirmed mappings per site and tool; :mod:`.codes` finds near-duplicate
participant codes. No module here imports streamlit: the import page calls these functions.
"""
