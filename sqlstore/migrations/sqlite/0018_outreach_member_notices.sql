-- The outreach queue decides whether a member's notice failed by the
-- notices addressed to the member only: a notice with a recipient went to
-- someone else on the member's behalf (counsel, a parent) and neither
-- reaches the member nor fails to. The rows projected before counted such
-- notices too (a scheduling notice to counsel took an unreached parent off
-- the queue; one to counsel returned put the member on it): the families
-- with a notice to someone else get their rows again on their next
-- derivation.
UPDATE families SET dirty = 1
WHERE id IN (SELECT DISTINCT family_id FROM records
             WHERE kind = 'notices' AND coalesce(json_extract(data, '$.recipient'), '') <> '');
