#!/usr/bin/env bash
# 'canbao reconcile' end to end on a hand-made village where every case is known:
# a payment not on the roster, one paid after the window, one of the wrong amount, one
# under another name, open claims, duplicates to refund (a second payment, employee
# insurance, student insurance at school) with the refund deadline, a department's
# list; and what a receipt does to a 'paid' claim (pay_confirm): it verifies an open
# claim, and closes a verified one instead of counting as a second payment.
# usage: reconcile_test.sh CANBAO SOURCE_DIR
set -u
. "$2/tests/lib.sh"
cli_env "$1" "$2"
cb() { "$canbao" --db "$dir/t.db" --now "2023-11-20 10:00" "$@"; }
sql() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$dir/t.db" "$1"; }
# idn SEQ: a valid ID number born 1980-01-01 in 430923 with sequence SEQ (3 digits).
idn() { python3 -c "
import sys
b = '43092319800101' + sys.argv[1]
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
print(b + '10X98765432'[sum(int(c) * k for c, k in zip(b, w)) % 11])" "$1"; }

cb init --policy "$src/examples/lengshi-2024.json" >/dev/null
{
    echo "id_number,name,phone,household,township,village,group,category,status"
    i=0
    for p in 张三 李四 王五 赵六 钱七 孙八 周九 吴十 郑一 冯二; do
        i=$((i + 1))
        echo "$(idn $(printf '%03d' $i)),$p,1390000$(printf '%04d' $i),H$(printf '%02d' $i),冷市镇,南华村,1组,,unpaid"
    done
    echo "$(idn 101),特困甲,,H11,冷市镇,南华村,1组,特困,unpaid"
    echo "$(idn 102),特困乙,,H12,冷市镇,南华村,1组,特困,unpaid"
} >"$dir/roster.csv"
cb import roster "$dir/roster.csv" >/dev/null
printf 'code,name,phone,township,village,group\nW1,陈建国,13800001001,冷市镇,南华村,\n' >"$dir/w.csv"
cb import workers "$dir/w.csv" >/dev/null
pay() { # pay RECEIPT ID AMOUNT PAID_AT [NAME]: imported on the day after PAID_AT
    printf 'receipt_no,id_number,amount,paid_at,name\n%s,%s,%s,%s,%s\n' "$@" >"$dir/p.csv"
    "$canbao" --db "$dir/t.db" --now "$(date -d "$4 + 1 day" +%F) 10:00" \
        import payments "$dir/p.csv" >/dev/null 2>&1
}
claim_id() { sql "SELECT c.id FROM claim c JOIN person p ON p.id = c.person_id WHERE p.name = '$1' ORDER BY c.id DESC LIMIT 1"; }

pay R1 "$(idn 001)" 380.00 2023-10-01 张三            # all in order: nowhere in the report
pay R2 "$(idn 002)" 300.00 2023-10-02 李四            # wrong amount
pay R3 "$(idn 900)" 380.00 2023-10-03                 # not on the roster
pay R4 "$(idn 003)" 380.00 2024-01-05 王伍            # late, another name
# 赵六 said he paid at a visit; the worker verified it; then the real receipt comes.
cb visit H04 --by W1 --outcome paid >/dev/null
cb claims verify "$(claim_id 赵六)" --by W1 >/dev/null
pay R5 "$(idn 004)" 380.00 2023-10-05 赵六
check "a receipt for a verified claim is no second payment" "" "$(sql "SELECT ifnull(problem, '') FROM payment WHERE receipt = 'R5'")"
check "it closes the claim" R5 "$(sql "SELECT y.receipt FROM claim c JOIN payment y ON y.id = c.payment_id WHERE c.id = $(claim_id 赵六)")"
# 钱七's claim is still open when the receipt comes: the receipt verifies it.
cb visit H05 --by W1 --outcome paid >/dev/null
pay R6 "$(idn 005)" 380.00 2023-10-06 钱七
check "a receipt verifies an open claim" "verified receipt:R6" "$(sql "SELECT state || ' ' || resolved_by FROM claim WHERE id = $(claim_id 钱七)")"
check "and the person is paid" paid "$(cb resident show "$(idn 005)" --json | json 'd["status"]')"
pay R7 "$(idn 006)" 380.00 2023-10-07 孙八
pay R8 "$(idn 006)" 380.00 2023-10-08 孙八            # a second payment
# 周九 says he has employee insurance, pays anyway, and the claim is then verified.
cb reply --from 13900000007 "我在厂里上班有职工医保" >/dev/null
pay R9 "$(idn 007)" 380.00 2023-10-09 周九
cb claims verify "$(claim_id 周九)" --by W1 >/dev/null
cb reply --from 13900000008 "孩子在学校交了医保" >/dev/null
cb claims verify "$(claim_id 吴十)" --by W1 >/dev/null
pay R10 "$(idn 008)" 380.00 2023-10-10 吴十           # insured at school already
cb reply --from 13900000009 "我已经交了" >/dev/null    # stays open
pay R11 "$(idn 101)" 380.00 2023-10-11                # the department pays for 特困甲

out=$(cb reconcile --json)
check "reconcile --json exits 0" 0 $?
r() { echo "$out" | json "$1"; }
check "unmatched" "R3 $(idn 900 | cut -c1-6)********$(idn 900 | cut -c15-18)" "$(r '" ".join(x["receipt"] + " " + x["id_number"] for x in d["unmatched"])')"
check "late" "R4 2023-12-31" "$(r '" ".join(x["receipt"] + " " + x["window_end"] for x in d["late"])')"
check "wrong amount" "R2 300.00 380.00" "$(r '" ".join(x["receipt"] + " " + x["amount_yuan"] + " " + x["expected_yuan"] for x in d["wrong_amount"])')"
check "name mismatch, masked" "R4 王* 王*" "$(r '" ".join(x["receipt"] + " " + x["payer_name"] + " " + x["name"] for x in d["name_mismatch"])')"
check "open claims" "paid 郑*" "$(r '" ".join(x["kind"] + " " + x["name"] for x in d["open_claims"])')"
check "duplicates by priority" "R8 resident R9 employee R10 school" "$(r '" ".join(x["receipt"] + " " + x["keeps"] for x in d["duplicates"])')"
check "refund deadline" "2023-12-31 True" "$(r '" ".join(sorted(set(x["refund_by"] + " " + str(x["refund_open"]) for x in d["duplicates"])))')"
check "department list" "特困 2 1 1 380.00 760.00" "$(r '" ".join("%s %d %d %d %s %s" % (x["category"], x["listed"], x["paid"], x["unpaid"], x["received_yuan"], x["expected_yuan"]) for x in d["departments"])')"
check "the department's unpaid named, masked" "特**" "$(r 'd["departments"][0]["unpaid_people"][0]["name"]')"
check "no full ID number in the JSON" 0 "$(echo "$out" | grep -c "$(idn 006)")"

# The text: a title per section with its count, the same rows, masked.
txt=$(cb reconcile)
check "text: duplicates" "duplicate payments to refund on request: 3" "$(echo "$txt" | grep '^duplicate')"
check "text: refund by" 3 "$(echo "$txt" | grep -c 'refund=refund on request by 2023-12-31')"
check "text: no full ID number" 0 "$(echo "$txt" | grep -c "$(idn 001)")"
check "after the window: no refund" 3 "$("$canbao" --db "$dir/t.db" --today 2024-01-02 reconcile | grep -c 'no refund: the window closed 2023-12-31')"
# Outside text is escaped: a receipt with an escape sequence (every importer and hook
# refuses one now, so it is written as an older version could have stored it).
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO payment(receipt, campaign_id, id_number, amount_fen, source, problem, received_at) VALUES ('R\x1b[31mX', (SELECT max(id) FROM campaign), ?, 38000, 'test', 'ID number not on the roster of this campaign', 0)\", (sys.argv[2],)); c.commit()" "$dir/t.db" "$(idn 950)"
check "text: control characters escaped" 1 "$(cb reconcile | grep -c 'R\\x1b\[31mX')"
check "reconcile --help" 0 "$(cb reconcile --help >/dev/null; echo $?)"
check "main help lists reconcile" 1 "$("$canbao" --help | grep -c '^  reconcile ')"

echo "reconcile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
