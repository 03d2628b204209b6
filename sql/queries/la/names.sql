-- Every LA's code and name, by name: what an LA picker offers. Its other columns are read for
-- the chosen LA alone (la/local_authority): at 1000 times today's LAs, all of them for every
-- LA (la/local_authorities) took four times as long to hand over.
-- params: none
SELECT la_code, name FROM local_authorities ORDER BY name
