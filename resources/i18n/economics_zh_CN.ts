<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArrearsDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="238"/>
        <source>Arrears follow-up</source>
        <translation>电费回收</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="240"/>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="240"/>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="240"/>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="243"/>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="244"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="245"/>
        <source>Owed (yuan)</source>
        <translation>欠费(元)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="246"/>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="247"/>
        <source>Change on last month</source>
        <translation>较上月</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="248"/>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="249"/>
        <source>Last follow-up</source>
        <translation>最近催收</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="287"/>
        <source>instalment due</source>
        <translation>分期到期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="287"/>
        <source>expires</source>
        <translation>担保/保证金到期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="289"/>
        <source> (overdue)</source>
        <translation>(已逾期)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="295"/>
        <source>Nothing falls due within 7 days.</source>
        <translation>7 天内没有到期事项。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="301"/>
        <source>Instalments and guarantees falling due</source>
        <translation>即将到期的分期与担保</translation>
    </message>
</context>
<context>
    <name>CustomerEconomicsDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="648"/>
        <source>Consumption and billing: %1</source>
        <translation>用电与电费:%1</translation>
    </message>
</context>
<context>
    <name>EconomicsBox</name>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="92"/>
        <source>Consumption and arrears</source>
        <translation>用电与欠费</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="103"/>
        <source>Import monthly figures…</source>
        <translation>导入月度数据…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="105"/>
        <source>Arrears list…</source>
        <translation>欠费清单…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="113"/>
        <source>Sharp falls</source>
        <translation>电量大幅下降</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="114"/>
        <source>Sharp rises</source>
        <translation>电量大幅上升</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="141"/>
        <source>Loading figures…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="150"/>
        <source>The figures could not be computed.</source>
        <translation>无法计算数据。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="159"/>
        <source>No monthly figures yet: import the marketing system&apos;s monthly export.</source>
        <translation>尚无月度数据:请导入营销系统的月度电量电费明细。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="165"/>
        <source>Last 3 months to %1 against the same months a year before (changes over %2%).</source>
        <translation>截至 %1 的近 3 个月与上年同期相比(变化超过 %2%)。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="179"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="186"/>
        <source>Arrears: %1 customers (%2 high risk), %3 (10,000 yuan). Follow-ups due within 7 days: %4 (%5 overdue).</source>
        <translation>欠费客户 %1 户(高风险 %2 户),合计 %3 万元。7 天内到期的催收事项 %4 项(已逾期 %5 项)。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="201"/>
        <source>The pyramid classes are due for re-evaluation: recompute them on the customer list.</source>
        <translation>客户分级已到重新评定周期:请在客户列表中重新计算分级。</translation>
    </message>
</context>
<context>
    <name>EconomicsPanel</name>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="103"/>
        <source>10,000 kWh</source>
        <extracomment>The tables :func:`customer_economics` reads (a bulk change to one may concern anyone).</extracomment>
        <translation>万kWh</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="105"/>
        <source>No monthly figures yet: import the marketing system&apos;s monthly export (keyacct import-months) to see the history.</source>
        <translation>尚无月度数据:导入营销系统的月度明细(keyacct import-months)后即可查看历史。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="109"/>
        <source>Peak</source>
        <translation>峰</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="110"/>
        <source>Flat</source>
        <translation>平</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="111"/>
        <source>Valley</source>
        <translation>谷</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="112"/>
        <source>Year before</source>
        <translation>上年</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="116"/>
        <source>Use this rating</source>
        <translation>采用此等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="118"/>
        <source>Credit score</source>
        <translation>信用评分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="128"/>
        <source>Print advice sheet…</source>
        <translation>打印测算建议书…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="130"/>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="498"/>
        <source>Basic charge advice</source>
        <translation>基本电费建议</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="138"/>
        <source>Log follow-up…</source>
        <translation>记录催收…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="140"/>
        <source>Print payment reminder…</source>
        <translation>打印催缴通知单…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="142"/>
        <source>Arrears follow-up</source>
        <translation>电费回收</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="146"/>
        <source>Instalment paid</source>
        <translation>分期已缴</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="148"/>
        <source>Record the selected agreement&apos;s next open instalment as paid today</source>
        <translation>把所选协议的下一期登记为今日已缴</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="193"/>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="219"/>
        <source>The figures could not be read.</source>
        <translation>读取用电与电费数据失败。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="281"/>
        <source>Last 12 months to %1: %2 (10,000 kWh), %3 year on year; bills %4 (10,000 yuan).</source>
        <translation>截至 %1 的近 12 个月:用电 %2 万kWh,同比 %3;电费 %4 万元。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="291"/>
        <source>No monthly figures for this customer yet.</source>
        <translation>该客户尚无月度数据。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="294"/>
        <source>from the last 12 months</source>
        <translation>依据近 12 个月数据</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="296"/>
        <source>from the profile&apos;s indicators</source>
        <translation>依据档案中的指标</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="300"/>
        <source>Score %1 → %2 (%3); rating on file: %4</source>
        <translation>评分 %1 → %2(%3);档案中的等级:%4</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="312"/>
        <source>No deductions.</source>
        <translation>无扣分项。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="318"/>
        <source>Nothing owed in the latest month.</source>
        <translation>最近一个月无欠费。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="321"/>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="321"/>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="321"/>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="324"/>
        <source>Owes %1 yuan, %2 days overdue, %3 against the month before; risk %4</source>
        <translation>欠费 %1 元,逾期 %2 天,较上月 %3;风险 %4</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="344"/>
        <source>%1 of %2 instalments open</source>
        <translation>%2 期中 %1 期未缴</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="350"/>
        <source>next %1: %2</source>
        <translation>下一期 %1:%2</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="395"/>
        <source>Capacity billing %1 yuan, demand billing %2 yuan (%3 months).</source>
        <translation>按容量 %1 元,按需量 %2 元(%3 个月)。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="401"/>
        <source>Recommended: %1, declared demand %2 kW; saves %3 yuan.</source>
        <translation>建议%1计费,核定需量 %2 kW;可少缴 %3 元。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="410"/>
        <source>%1 yuan less than the current way of billing (%2).</source>
        <translation>比现行方式(%2)少缴 %1 元。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="473"/>
        <source>Payment reminder</source>
        <translation>电费催缴通知单</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="666"/>
        <source>Consumption and billing…</source>
        <translation>用电与电费…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="672"/>
        <source>Consumption and billing</source>
        <translation>用电与电费</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="524"/>
        <source>Log follow-up</source>
        <translation>记录催收</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="541"/>
        <source>One line per instalment: 2026-12-20 50000</source>
        <translation>每期一行:2026-12-20 50000</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="548"/>
        <source>Kind</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="549"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="550"/>
        <source>Customer contact</source>
        <translation>客户对接人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="551"/>
        <source>Amount (yuan)</source>
        <translation>金额(元)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="552"/>
        <source>Expires on</source>
        <translation>到期日</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="553"/>
        <source>Instalments</source>
        <translation>分期计划</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="554"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>MonthlyImport</name>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="59"/>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="81"/>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="110"/>
        <source>Import monthly figures</source>
        <translation>导入月度电量电费</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="61"/>
        <source>Spreadsheets (*.xlsx *.csv)</source>
        <translation>表格文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="70"/>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="82"/>
        <source>The file has no month column. Which month is it (YYYY-MM)?</source>
        <translation>文件中没有“电费年月”列,请输入所属月份(YYYY-MM):</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="96"/>
        <source>%1: months %2; %3 row(s): %4 new, %5 changed, %6 already stored; %7 with problems.</source>
        <translation>%1:月份 %2;共 %3 行:新增 %4,变化 %5,已存在 %6;%7 行有问题。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="116"/>
        <source>Import valid rows</source>
        <translation>导入有效行</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="116"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="119"/>
        <source>Import nothing</source>
        <translation>不导入</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="122"/>
        <source>Also update the customers&apos; credit and consumption indicators</source>
        <translation>同时更新客户档案中的信用与电量指标</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/import_months.py" line="150"/>
        <source>Importing monthly figures…</source>
        <translation>正在导入月度数据…</translation>
    </message>
</context>
</TS>
