-- Grain: trademark (number/class) × term × holder period in force. In unit U's stock at D
-- when is_in_jingzhou, not is_madrid, unit_code = U and valid_from <= D < valid_to.
select * from {{ ref('int_trademark_rights_dated') }}
