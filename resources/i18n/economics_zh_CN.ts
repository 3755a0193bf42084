<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CustomerEconomicsDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="441" />
        <source>Consumption and billing: %1</source>
        <translation>用电与电费:%1</translation>
    </message>
</context>
<context>
    <name>EconomicsBox</name>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="72" />
        <source>Consumption and arrears</source>
        <translation>用电与欠费</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="84" />
        <source>Sharp falls</source>
        <translation>电量大幅下降</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="85" />
        <source>Sharp rises</source>
        <translation>电量大幅上升</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="103" />
        <source>Loading figures…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="107" />
        <source>The figures could not be computed.</source>
        <translation>无法计算数据。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="117" />
        <source>No monthly figures yet: import the marketing system's monthly export.</source>
        <translation>尚无月度数据:请导入营销系统的月度电量电费明细。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="123" />
        <source>Last 3 months to %1 against the same months a year before (changes over %2%).</source>
        <translation>截至 %1 的近 3 个月与上年同期相比(变化超过 %2%)。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="137" />
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/home_box.py" line="144" />
        <source>Arrears: %1 customers (%2 high risk), %3 (10,000 yuan). Follow-ups due within 7 days: %4 (%5 overdue).</source>
        <translation>欠费客户 %1 户(高风险 %2 户),合计 %3 万元。7 天内到期的催收事项 %4 项(已逾期 %5 项)。</translation>
    </message>
</context>
<context>
    <name>EconomicsPanel</name>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="79" />
        <source>10,000 kWh</source>
        <translation>万kWh</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="81" />
        <source>No monthly figures yet: import the marketing system's monthly export (keyacct import-months) to see the history.</source>
        <translation>尚无月度数据:导入营销系统的月度明细(keyacct import-months)后即可查看历史。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="85" />
        <source>Peak</source>
        <translation>峰</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="86" />
        <source>Flat</source>
        <translation>平</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="87" />
        <source>Valley</source>
        <translation>谷</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="88" />
        <source>Year before</source>
        <translation>上年</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="92" />
        <source>Use this rating</source>
        <translation>采用此等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="94" />
        <source>Credit score</source>
        <translation>信用评分</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="103" />
        <source>Print advice sheet…</source>
        <translation>打印测算建议书…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="105" />
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="323" />
        <source>Basic charge advice</source>
        <translation>基本电费建议</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="113" />
        <source>Log follow-up…</source>
        <translation>记录催收…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="115" />
        <source>Print payment reminder…</source>
        <translation>打印催缴通知单…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="117" />
        <source>Arrears follow-up</source>
        <translation>电费回收</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="165" />
        <source>Last 12 months to %1: %2 (10,000 kWh), %3 year on year; bills %4 (10,000 yuan).</source>
        <translation>截至 %1 的近 12 个月:用电 %2 万kWh,同比 %3;电费 %4 万元。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="175" />
        <source>No monthly figures for this customer yet.</source>
        <translation>该客户尚无月度数据。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="178" />
        <source>from the last 12 months</source>
        <translation>依据近 12 个月数据</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="180" />
        <source>from the profile's indicators</source>
        <translation>依据档案中的指标</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="184" />
        <source>Score %1 → %2 (%3); rating on file: %4</source>
        <translation>评分 %1 → %2(%3);档案中的等级:%4</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="196" />
        <source>No deductions.</source>
        <translation>无扣分项。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="202" />
        <source>Nothing owed in the latest month.</source>
        <translation>最近一个月无欠费。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="205" />
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="205" />
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="205" />
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="208" />
        <source>Owes %1 yuan, %2 days overdue, %3 against the month before; risk %4</source>
        <translation>欠费 %1 元,逾期 %2 天,较上月 %3;风险 %4</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="238" />
        <source>Capacity billing %1 yuan, demand billing %2 yuan (%3 months).</source>
        <translation>按容量 %1 元,按需量 %2 元(%3 个月)。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="244" />
        <source>Recommended: %1, declared demand %2 kW; saves %3 yuan.</source>
        <translation>建议%1计费,核定需量 %2 kW;可少缴 %3 元。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="253" />
        <source>%1 yuan less than the current way of billing (%2).</source>
        <translation>比现行方式(%2)少缴 %1 元。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="308" />
        <source>Payment reminder</source>
        <translation>电费催缴通知单</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="453" />
        <source>Consumption and billing…</source>
        <translation>用电与电费…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="459" />
        <source>Consumption and billing</source>
        <translation>用电与电费</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="336" />
        <source>Log follow-up</source>
        <translation>记录催收</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="353" />
        <source>One line per instalment: 2026-12-20 50000</source>
        <translation>每期一行:2026-12-20 50000</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="360" />
        <source>Kind</source>
        <translation>方式</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="361" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="362" />
        <source>Customer contact</source>
        <translation>客户对接人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="363" />
        <source>Amount (yuan)</source>
        <translation>金额(元)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="364" />
        <source>Expires on</source>
        <translation>到期日</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="365" />
        <source>Instalments</source>
        <translation>分期计划</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/economics/panel.py" line="366" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
</TS>